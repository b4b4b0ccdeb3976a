"""`python manage.py credential_key`: print a new Ed25519 key to sign certificates with.

Prints the private key as `CREDENTIAL_SIGNING_KEY` takes it, its public half as
`CREDENTIAL_PREVIOUS_KEYS` takes it, and its key id; with `--public`, reads the current
`CREDENTIAL_SIGNING_KEY` and prints only its public half and id (to add to
`CREDENTIAL_PREVIOUS_KEYS` when rotating). Nothing is stored: the key is the operator's to keep
in the environment's secrets.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates import signing
from jazari import credential_keys


class Command(BaseCommand):
    help = "Print a new Ed25519 key for CREDENTIAL_SIGNING_KEY (or the current key's public half)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--public",
            action="store_true",
            help="Print the public half of the current CREDENTIAL_SIGNING_KEY instead.",
        )

    def handle(self, *args, **options):
        if options["public"]:
            try:
                key = credential_keys.private_key(settings.CREDENTIAL_SIGNING_KEY)
            except credential_keys.InvalidKey as error:
                raise CommandError(f"CREDENTIAL_SIGNING_KEY can't be read: {error}") from None
            self.stdout.write(f"public key (for CREDENTIAL_PREVIOUS_KEYS): {_public(key)}")
            self.stdout.write(f"key id: {signing.thumbprint(key)}")
            return
        private = credential_keys.new_private_key()
        key = credential_keys.private_key(private)
        self.stdout.write(f"CREDENTIAL_SIGNING_KEY={private}")
        self.stdout.write(
            f"# public key (for CREDENTIAL_PREVIOUS_KEYS after a rotation): {_public(key)}"
        )
        self.stdout.write(f"# key id: {signing.thumbprint(key)}")
        self.stdout.write(
            "# To rotate: set this as CREDENTIAL_SIGNING_KEY and add the public key of the key it "
            "replaces (manage.py credential_key --public, run before the change) to "
            "CREDENTIAL_PREVIOUS_KEYS."
        )


def _public(key):
    return credential_keys.public_text(key)
