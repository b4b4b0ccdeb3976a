from django.db import migrations
from django.db.models import F

# Existing certificates are certificates of completion (the field's default), keep their hours
# (the course's duration, in minutes now) and list no meetings. Each gets its entry in a
# revocation status list, placed as `certificates.status_list.entry_of` places it (copied here
# so that this migration never changes).
STATUS_LIST_SIZE = 131_072
MULTIPLIER = 92_821
OFFSET = 48_271


def entry_of(pk):
    position = (pk - 1) % STATUS_LIST_SIZE
    return (pk - 1) // STATUS_LIST_SIZE + 1, (position * MULTIPLIER + OFFSET) % STATUS_LIST_SIZE


def hours_to_minutes(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    Certificate.objects.update(minutes=F("hours") * 60)


def minutes_to_hours(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    Certificate.objects.update(hours=(F("minutes") + 59) / 60)


def place_in_status_lists(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    batch = []
    for certificate in Certificate.objects.only("pk").iterator(chunk_size=2000):
        certificate.status_list, certificate.status_index = entry_of(certificate.pk)
        batch.append(certificate)
        if len(batch) >= 2000:
            Certificate.objects.bulk_update(batch, ["status_list", "status_index"])
            batch = []
    Certificate.objects.bulk_update(batch, ["status_list", "status_index"])


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0003_kinds_meetings_signed_credentials'),
    ]

    operations = [
        migrations.RunPython(hours_to_minutes, minutes_to_hours),
        migrations.RunPython(place_in_status_lists, migrations.RunPython.noop),
    ]
