"""What verifiers fetch from the network as issuer, outside the language prefixes: its DID
document (`/.well-known/did.json`, did:web) and the status lists (`/credentials/status/<n>`)."""

from django.urls import path

from certificates import views

app_name = "credentials"
urlpatterns = [
    path(".well-known/did.json", views.did_document, name="did"),
    path("credentials/status/<int:number>", views.status_list_credential, name="status_list"),
]
