from django.db import migrations


class Migration(migrations.Migration):
    """The page cache (the pagecache app) is gone: its counts were carried over into
    districts.ChangeCount (0010), and the pages it kept are replaced by fragments in Django's
    cache. New tables under new names rather than the old ones adopted: the old names would
    say "page" of what now counts the changes every cache and summary row reads."""

    dependencies = [("districts", "0010_changes")]

    operations = [
        migrations.RunSQL(
            [
                "DROP TABLE IF EXISTS pagecache_pagechange",
                "DROP TABLE IF EXISTS pagecache_pageversion",
                "DELETE FROM django_migrations WHERE app = 'pagecache'",
            ],
            migrations.RunSQL.noop,
        ),
    ]
