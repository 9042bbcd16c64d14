from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from accounts import urls as accounts_urls
from audit import urls as audit_urls
from authorizations import urls as authorizations_urls
from claims import urls as claims_urls
from claims import urls_corrections as claim_corrections_urls
from clinical_notes import urls as clinical_notes_urls
from core import views as core_views
from core.api.docs import ParitySwaggerView
from dashboard import billing_urls as dashboard_billing_urls
from dashboard import urls as dashboard_urls
from dashboard import views as dashboard_views
from denials import urls as denials_urls
from eligibility import urls as eligibility_urls
from estimates import urls as estimates_urls
from ledger import urls as ledger_urls
from patients import urls as patients_urls
from payer_rules import urls as payer_rules_urls
from payers import urls as payers_urls
from practice import team_views
from practice import urls as practice_urls
from remittance import urls as remittance_urls
from scheduling import urls as scheduling_urls
from treatment_plans import urls as treatment_plans_urls

api_patterns: list[URLPattern | URLResolver] = [
    path("patients/", include((patients_urls.api_urlpatterns, "patients_api"))),
    path("practice/", include((practice_urls.api_urlpatterns, "practice_api"))),
    path("payers/", include((payers_urls.api_urlpatterns, "payers_api"))),
    path("audit/", include((audit_urls.api_urlpatterns, "audit_api"))),
    path("notes/", include((clinical_notes_urls.api_urlpatterns, "notes_api"))),
    path("schedule/", include((scheduling_urls.api_urlpatterns, "scheduling_api"))),
    path("plans/", include((treatment_plans_urls.api_urlpatterns, "plans_api"))),
    path("authorizations/", include((authorizations_urls.api_urlpatterns, "authorizations_api"))),
    path("charges/", include((claims_urls.api_urlpatterns, "charges_api"))),
    path("claims/", include((claim_corrections_urls.api_urlpatterns, "claim_corrections_api"))),
    path("claims/", include((claims_urls.claim_api_urlpatterns, "claims_api"))),
    path("eligibility/", include((eligibility_urls.api_urlpatterns, "eligibility_api"))),
    path("estimates/", include((estimates_urls.api_urlpatterns, "estimates_api"))),
    path("remittance/", include((remittance_urls.api_urlpatterns, "remittance_api"))),
    path("denials/", include((denials_urls.api_urlpatterns, "denials_api"))),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ParitySwaggerView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    # Enrolling an authenticator with an admin's code (before two-factor verification: /accounts/).
    path("accounts/enrol/", team_views.mfa_enrol, name="mfa_enrol"),
    path("accounts/", include(accounts_urls)),
    path("patients/", include(patients_urls)),
    path("practice/", include(practice_urls)),
    # One "payers" namespace for the payer screens: payers (list, edit, enrolment) and payer_rules
    # (a payer's page and its rule versions), so the paths and URL names stayed as they were.
    path("payers/", include((payers_urls.urlpatterns + payer_rules_urls.urlpatterns, "payers"))),
    path("audit/", include(audit_urls)),
    path("notes/", include(clinical_notes_urls)),
    path("schedule/", include(scheduling_urls)),
    path("plans/", include((treatment_plans_urls.urlpatterns, "plans"))),
    path("authorizations/", include(authorizations_urls)),
    path("charges/", include(claims_urls)),
    path("claims/", include((claim_corrections_urls.urlpatterns, "claim_corrections"))),
    path("claims/", include((claims_urls.claim_urlpatterns, "claims"))),
    path("eligibility/", include(eligibility_urls)),
    path("estimates/", include(estimates_urls)),
    path("remittance/", include(remittance_urls)),
    path("denials/", include(denials_urls)),
    path("jobs/", include(dashboard_urls)),
    path("billing/patients/", include(ledger_urls)),
    path("billing/", include(dashboard_billing_urls)),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
]
