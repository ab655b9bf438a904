"""Compiles the interface's translations (.po to .mo) with polib, so a fresh machine needs no
GNU gettext. Only catalogues whose .mo is missing or older than the .po are compiled."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the .po translation catalogues to .mo (no GNU gettext needed)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(mo_path))
                compiled += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"{po_path.parent.parent.name}: {catalogue.percent_translated()}% translated")
        if options["verbosity"] > 0:
            self.stdout.write(f"Compiled {compiled} translation catalogue(s).")
