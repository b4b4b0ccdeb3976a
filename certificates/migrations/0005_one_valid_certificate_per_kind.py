from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0004_certificates_issued_before'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='certificate',
            constraint=models.UniqueConstraint(condition=models.Q(('revoked_at__isnull', True)), fields=('enrolment', 'kind'), name='one_valid_certificate_per_enrolment_and_kind'),
        ),
        migrations.AddConstraint(
            model_name='certificate',
            constraint=models.UniqueConstraint(fields=('status_list', 'status_index'), name='one_certificate_per_status_entry'),
        ),
        migrations.RemoveField(
            model_name='certificate',
            name='hours',
        ),
    ]
