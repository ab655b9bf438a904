"""Loads a small, believable demo desk. Idempotent: a second run changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from tugi.catalog.models import Criticality, Service
from tugi.cmdb.models import CIRelation, ConfigurationItem
from tugi.core.actors import system_actor
from tugi.core.models import User
from tugi.directory.actors import actor_for_contact, actor_for_staff
from tugi.directory.models import Contact, Organisation, StaffMember
from tugi.tickets import services as tickets
from tugi.tickets.lifecycle import Action
from tugi.tickets.models import TicketKind, TicketLink, TicketSource

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
                personal_phone="+372 5555 0102", is_agent=True, is_service_manager=True),
            "owner": StaffMember.objects.create(
                user=_user("owner", is_superuser=True), name="Anu Allik", email="anu.allik@tugi.example",
                personal_phone="+372 5555 0103", is_agent=True, is_catalogue_owner=True),
        }
        naidis = Organisation.objects.create(name="Näidis OÜ", registry_code="12345678", email_domains="naidis.ee")
        teine = Organisation.objects.create(name="Teine AS", registry_code="87654321", is_vip=True,
                                            email_domains="teine.ee")
        Organisation.objects.create(name="Raamatupidamine", kind=Organisation.Kind.INTERNAL)
        mari = Contact.objects.create(user=_user("mari"), organisation=naidis, name="Mari Maasikas",
                                      email="mari@naidis.ee", phone="+372 5100 0001")
        jaan = Contact.objects.create(user=_user("jaan"), organisation=naidis, name="Jaan Tamm",
                                      email="jaan@naidis.ee", phone="+372 5100 0002", is_representative=True)
        liis = Contact.objects.create(user=_user("liis"), organisation=teine, name="Liis Lepp",
                                      email="liis@teine.ee", phone="+372 5100 0003", language="en",
                                      is_representative=True)
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
        tickets.ticket_transition(actor=agent, ticket=inc, action=Action.START)
        tickets.ticket_add_entry(actor=agent, ticket=inc, body="Vaatame serveri logid üle ja anname teada.")
        tickets.ticket_add_entry(actor=agent, ticket=inc, body="Andmebaasi ketas on täis.", is_internal=True)
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
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
