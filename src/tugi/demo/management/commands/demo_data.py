"""Loads a small, believable demo desk. Idempotent: a second run changes nothing."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tugi.catalog.models import Criticality, Service
from tugi.cmdb.models import CIRelation, ConfigurationItem
from tugi.core.actors import ANONYMOUS, system_actor
from tugi.core.models import User
from tugi.directory import services as directory
from tugi.directory.actors import actor_for_contact, actor_for_staff
from tugi.directory.models import Contact, Organisation, PortalAccess, StaffMember
from tugi.kb import services as kb
from tugi.kb.models import Visibility
from tugi.kb.selectors import guide_get_for
from tugi.plans import services as plans
from tugi.tickets import services as tickets
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import TicketKind, TicketLink, TicketSource
from tugi.worklog import services as worklog

PASSWORD = "tugi-demo"


def _user(username: str, *, is_superuser: bool = False) -> User:
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(PASSWORD)
        user.is_staff = is_superuser
        user.is_superuser = is_superuser
        user.save()
    return user


class Command(BaseCommand):
    help = "Load the demo data (organisations, people, services, CIs and a few tickets)."

    @transaction.atomic
    def handle(self, *args, **options):
        if Organisation.objects.filter(name="Näidis OÜ").exists():
            self.stdout.write("Demo data is already loaded.")
            return
        staff = {
            "agent": StaffMember.objects.create(
                user=_user("agent"), name="Kati Kask", email="kati.kask@tugi.example",
                personal_phone="+372 5555 0101", is_agent=True),
            "manager": StaffMember.objects.create(
                user=_user("manager"), name="Peeter Paju", email="peeter.paju@tugi.example",
                personal_phone="+372 5555 0102", is_agent=True, is_service_manager=True,
                is_on_call=True),  # told of tickets on critical systems out of hours (K17)
            "owner": StaffMember.objects.create(
                user=_user("owner", is_superuser=True), name="Anu Allik", email="anu.allik@tugi.example",
                personal_phone="+372 5555 0103", is_agent=True, is_catalogue_owner=True),
        }
        naidis = Organisation.objects.create(name="Näidis OÜ", registry_code="12345678", email_domains="naidis.ee")
        teine = Organisation.objects.create(name="Teine AS", registry_code="87654321", is_vip=True,
                                            email_domains="teine.ee")
        Organisation.objects.create(name="Raamatupidamine", kind=Organisation.Kind.INTERNAL)
        mari = Contact.objects.create(user=_user("mari"), organisation=naidis, name="Mari Maasikas",
                                      email="mari@naidis.ee", phone="+372 5100 0001",
                                      portal_access=PortalAccess.APPROVED)
        jaan = Contact.objects.create(user=_user("jaan"), organisation=naidis, name="Jaan Tamm",
                                      email="jaan@naidis.ee", phone="+372 5100 0002", is_representative=True,
                                      portal_access=PortalAccess.APPROVED)
        liis = Contact.objects.create(user=_user("liis"), organisation=teine, name="Liis Lepp",
                                      email="liis@teine.ee", phone="+372 5100 0003", language="en",
                                      is_representative=True, portal_access=PortalAccess.APPROVED)
        email = Service.objects.create(code="email", name="E-post ja kalender", catalogue_owner=staff["owner"],
                                       service_manager=staff["manager"], criticality=Criticality.HIGH)
        erp = Service.objects.create(code="erp", name="Majandustarkvara", catalogue_owner=staff["owner"],
                                     service_manager=staff["manager"], criticality=Criticality.MISSION_CRITICAL)
        Service.objects.create(code="workplace", name="Töökoha arvutid", catalogue_owner=staff["owner"],
                               service_manager=staff["manager"], is_chargeable=True)
        srv = ConfigurationItem.objects.create(ci_type="server", name="naidis-srv01", hostname="srv01.naidis.ee",
                                               organisation=naidis, service=erp,
                                               criticality=Criticality.MISSION_CRITICAL, serial_number="CZ1234")
        app = ConfigurationItem.objects.create(ci_type="application", name="Naidis ERP", organisation=naidis,
                                               service=erp, criticality=Criticality.MISSION_CRITICAL)
        laptop = ConfigurationItem.objects.create(ci_type="laptop", name="Mari sülearvuti", organisation=naidis,
                                                  serial_number="5CD0001", asset_tag="NA-0042")
        mailsrv = ConfigurationItem.objects.create(ci_type="server", name="teine-mail", hostname="mail.teine.ee",
                                                   organisation=teine, service=email, criticality=Criticality.HIGH)
        CIRelation.objects.create(source=app, target=srv, kind=CIRelation.Kind.RUNS_ON)

        agent = actor_for_staff(staff["agent"])
        inc = tickets.ticket_create(
            actor=actor_for_contact(mari), kind=TicketKind.INCIDENT, title="ERP ei avane",
            description="Hommikust saadik annab ERP sisselogimisel vea.", source=TicketSource.PORTAL,
            configuration_items=[app], impact=2, urgency=1)
        tickets.ticket_assign(actor=agent, ticket=inc, assignee=staff["agent"])
        # The ERP is mission-critical: the client is given an approximate resolution time first (K8).
        plans.ticket_set_approximate_resolution(actor=agent, ticket=inc, at=timezone.now() + dt.timedelta(hours=4))
        plans.plan_write(actor=agent, ticket=inc, text="1. Vaatame serveri logid üle.\n2. Vabastame kettaruumi.\n"
                                                        "3. Kontrollime koos Teiega, et ERP avaneb.")
        tickets.ticket_transition(actor=agent, ticket=inc, action=Action.START)
        tickets.ticket_add_entry(actor=agent, ticket=inc, body="Vaatame serveri logid üle ja anname teada.")
        tickets.ticket_add_entry(actor=agent, ticket=inc, body="Andmebaasi ketas on täis.", is_internal=True)
        # K12: the time spent, and the client's question about it waiting for the desk's answer.
        logged = worklog.time_entry_add(actor=agent, ticket=inc, work_date=timezone.localdate(), minutes=45,
                                        description="Serveri logide ülevaatus ja kettaruumi vabastamine.")
        worklog.time_entry_dispute(actor=actor_for_contact(mari), entry=logged,
                                   reason="Kas see võttis tõesti 45 minutit? Ketta puhastamine on automaatne.")
        tickets.ticket_create_from(actor=agent, origin=inc, kind=TicketKind.PROBLEM,
                                         title="Serveri ketas täitub korduvalt", link=TicketLink.Kind.AROSE_FROM)
        tickets.ticket_create(actor=actor_for_contact(jaan), kind=TicketKind.SERVICE_REQUEST,
                              title="Uus kasutaja raamatupidamisse", description="Palun looge konto.",
                              source=TicketSource.PORTAL)
        tickets.ticket_create(actor=actor_for_contact(liis), kind=TicketKind.INCIDENT, title="Mail is slow",
                              source=TicketSource.PORTAL, configuration_items=[mailsrv])
        tickets.ticket_create(actor=system_actor("Monitooring"), kind=TicketKind.INCIDENT,
                              title="Disk usage above 90% on srv01", source=TicketSource.MONITORING,
                              configuration_items=[srv], impact=2, urgency=2)
        tickets.ticket_create(actor=agent, kind=TicketKind.INCIDENT, title="Printer ei prindi",
                              requester=mari, source=TicketSource.PHONE, configuration_items=[laptop])
        self._knowledge_base(agent)
        directory.access_request_create(actor=ANONYMOUS, name="Olev Uus", email="olev@naidis.ee",
                                        organisation_name="Näidis OÜ", message="Soovin näha oma pöördumisi.")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _knowledge_base(self, desk):
        printing = kb.category_create(actor=desk, name="Printerid ja skannerid", order=1)
        accounts = kb.category_create(actor=desk, name="Kontod ja paroolid", order=2)
        network = kb.category_create(actor=desk, name="Võrk ja VPN", order=3)
        mail = kb.category_create(actor=desk, name="E-post ja Teams", order=4)
        for category, title, visibility, is_published, body in [
            (printing, "Printer ei prindi", Visibility.PUBLIC, True,
             "Palun kontrollige, et printer on sisse lülitatud, selles on paberit ja ekraanil pole veateadet.\n\n"
             "Kui töö jääb prindijärjekorda, taaskäivitage arvuti ja proovige uuesti. Kui ka see ei aita, "
             "teatage probleemist ja lisage printeri nimi (see on printeri sildil)."),
            (accounts, "Unustasin parooli", Visibility.PUBLIC, True,
             "Kui konto on lukus või parool ununes, helistage palun tugitelefonile: spetsialist kontrollib "
             "Teie isikut ja avab konto."),
            (network, "VPN-iga ühendamine kodust", Visibility.PUBLIC, True,
             "Käivitage VPN-klient ja logige sisse oma tööarvuti kasutajanime ja parooliga.\n\n"
             "Kui ühendus katkeb, kontrollige esmalt, kas kodune internet töötab, ja proovige siis uuesti. "
             "Veateate korral kirjutage pöördumisse veateate tekst täpselt."),
            (mail, "Outlook ei saada kirju", Visibility.PUBLIC, True,
             "Kui kirjad jäävad kausta „Väljuvad“, kontrollige võrguühendust ja manuste suurust (kuni 25 MB)."),
            (mail, "Teamsi koosolekul pole heli", Visibility.PUBLIC, False,
             "Mustand: kontrollige Teamsi seadetes valitud kõlarit ja mikrofoni."),
            (printing, "Prindiserveri taaskäivitamine", Visibility.INTERNAL, True,
             "Ainult tugitiimile. Peatage prindiserveris teenus „Print Spooler“, tühjendage järjekord ja "
             "käivitage teenus uuesti. Märkige tehtu pöördumisse."),
        ]:
            kb.article_create(actor=desk, title=title, body=body, category=category,
                              visibility=visibility, is_published=is_published)
        guide_get_for(desk)  # the guide with its default text
