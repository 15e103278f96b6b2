from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assignments import services
from districts.models import District, Officer, Role


class Command(BaseCommand):
    help = "Suggest a fair distribution of a district's target villages; --apply makes it so."

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="District code, e.g. 4016")
        parser.add_argument("--year", type=int, required=True, help="Fiscal year (BE), e.g. 2560")
        parser.add_argument("--apply", action="store_true", help="Apply every suggested move.")

    def handle(self, *args, district, year, apply, **options):
        try:
            place = District.objects.get(pk=district)
        except District.DoesNotExist:
            raise CommandError(f"Unknown district {district}") from None
        try:
            proposal = services.balance_district(district=place, year=year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{place} FY{year}: {len(proposal.moves)} moves")
        for officer, before, after in proposal.rows:
            self.stdout.write(f"  {officer.user.username:<24} {before:>3} -> {after:>3}")
        self.stdout.write(
            f"  travel {proposal.distance_before_m / 1000:.1f} km -> "
            f"{proposal.distance_after_m / 1000:.1f} km"
        )
        for move in proposal.moves:
            source = move.from_officer.user.username if move.from_officer else "-"
            self.stdout.write(f"  {move.village}: {source} -> {move.to_officer.user.username}")
        if not apply:
            self.stdout.write("Dry run: nothing changed (use --apply).")
            return
        # A command acts as the district's head, so the change is attributed to someone who
        # may make it; with no head, the system admin's rights are needed.
        head = Officer.objects.filter(district=place, role=Role.HEAD, is_active=True).first()
        if head is None:
            raise CommandError("The district has no active head to act as.")
        changed = services.proposal_apply(
            district=place,
            accepted=[
                (m.target_id, m.from_officer.pk if m.from_officer else None, m.to_officer.pk)
                for m in proposal.moves
            ],
            actor=head.user,
        )
        self.stdout.write(f"Applied: {changed} villages moved.")
