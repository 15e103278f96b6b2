from django.core.management.base import BaseCommand

from sammachip import icons


class Command(BaseCommand):
    help = "Write static/icons.svg: the Bootstrap icons the templates use, as one SVG sprite."

    def handle(self, *args, **options):
        names = icons.used_icons()
        icons.SPRITE.write_text(icons.sprite(names), encoding="utf-8")
        self.stdout.write(f"{icons.SPRITE}: {len(names)} icons.")
