"""The first text of the "how to report a problem" guide (K14), in Estonian, the desk's first
language. It is stored on first read and from then on edited by the desk in the console; the
support phone and address are not part of it, the page shows them from the settings."""

DEFAULT_GUIDE_TITLE = "Kuidas probleemist hästi teada anda"

DEFAULT_GUIDE_BODY = """\
Aitäh, et annate probleemist teada! Mida täpsemalt olukorda kirjeldate, seda kiiremini saab \
spetsialist tööga alustada — ilma Teile täpsustavate küsimustega uuesti kirjutamata.

Palun kirjutage pöördumisse järgmist.

1. Mis juhtus? Kirjeldage lühidalt, mida tegite ja mis läks teisiti, kui ootasite. Pealkirjaks \
sobib üks lause, näiteks „Arve salvestamisel annab ERP veateate“.

2. Millal see juhtus? Märkige kuupäev ja kellaaeg ning kas probleem kordub või juhtus ühe korra.

3. Millist seadet või süsteemi see puudutab? Arvuti, printeri või serveri nimi, programm või \
teenus (konfiguratsiooniüksus ehk CI). Seadme nimi on tavaliselt selle sildil.

4. Milline oli veateade? Palun kopeerige veateate tekst täpselt või lisage ekraanipilt manusena.

5. Mida juba proovisite? Näiteks arvuti taaskäivitamist või teist brauserit — nii ei pea \
spetsialist samu samme kordama.

6. Kui kiire see on? Kirjutage, kas töö seisab, kui paljusid inimesi probleem puudutab ja kas \
sellest sõltub mõni tähtaeg.

7. Kuidas Teiega ühendust saada? Palun lisage telefoninumber, millel olete kättesaadav, ja \
ajad, mil spetsialist võib helistada.

Kui töö seisab ja abi on vaja kohe, palun helistage tugitelefonile — siis saame kohe alustada.
""".rstrip()
