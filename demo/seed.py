"""The demo practice, built by running the real services (never by writing rows directly).

Each `seed_*` step is idempotent: it looks for what it would create by natural key (username,
billing NPI, payer name, patient account number) and skips what is already there, so running
`seed_demo` twice changes nothing. Randomness is seeded: every run builds the same practice.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django_otp.oath import TOTP
from faker import Faker

from accounts.access import PracticeAccess
from accounts.models import Membership, User
from accounts.services import membership_grant, mfa_confirmed_device, user_create
from audit.services import AuditContext
from clearinghouse.sandbox import SANDBOX_MEMBERS
from core.domain.identifiers import npi_with_check_digit
from demo.constants import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX
from demo.seed_authorizations import seed_authorizations
from demo.seed_claims import seed_claims
from demo.seed_clinical import CYCLE_DAYS_AGO, seed_clinical
from demo.seed_cycle import seed_cycle
from demo.seed_eligibility import seed_eligibility
from demo.seed_fees import seed_fees
from patients import selectors as patient_selectors
from patients import services as patient_services
from patients.domain.types import ConsentInput, CoverageInput, DiagnosisInput, GuarantorInput, PatientInput
from patients.selectors import patient_ids_by_account_number
from payer_rules.demo_rules import demo_payer_rules_seed
from payers import services as payer_services
from payers.models import Payer
from practice import services as practice_services
from practice.access import practice_access_for
from practice.domain.timezones import local_date
from practice.domain.types import PracticeDetails
from practice.models import Practice, Provider
from practice.onboarding import practice_create

SEED = 2026
PATIENT_COUNT = 50

# username, first, last, role in the main practice, credential (None: not a provider)
DEMO_USERS: list[tuple[str, str, str, str, str | None]] = [
    ("admin", "Avery", "Admin", "practice_admin", None),
    ("biller", "Blake", "Biller", "biller", None),
    ("supervisor", "Sam", "Sutherland", "supervisor", "LCSW"),
    ("bcba", "Bea", "Castillo", "supervisor", "BCBA"),
    ("clinician", "Casey", "Lindqvist", "clinician", "LPC"),
    ("tech", "Toby", "Nakamura", "technician", "BHT"),
    ("rbt", "Rae", "Okafor", "technician", "RBT"),
    ("compliance", "Cory", "Compton", "compliance", None),
]

MAIN_PRACTICE = PracticeDetails(
    legal_name="Harborview Behavioral Health, PLLC",
    tax_id="47-1234567",
    billing_npi=npi_with_check_digit("112233445"),
    taxonomy_code="261QM0801X",
    address_line1="410 Lighthouse Avenue",
    address_line2="Suite 200",
    city="Portland",
    state="ME",
    postal_code="04101-3512",  # ZIP+4: the 837's billing provider address needs nine digits
    phone="207-555-0140",
    timezone="America/New_York",
)
SECOND_PRACTICE = PracticeDetails(
    legal_name="Cedar Ridge ABA Services, LLC",
    tax_id="47-7654321",
    billing_npi=npi_with_check_digit("122334455"),
    taxonomy_code="103K00000X",
    address_line1="88 Cedar Ridge Road",
    address_line2="",
    city="Bangor",
    state="ME",
    postal_code="04401-2210",
    phone="207-555-0190",
    timezone="America/New_York",
)

# name, kind, electronic payer ID, claim filing indicator, timely filing days, appeal days
DEMO_PAYERS = [
    ("Blue Harbor Health", "commercial", "BHH01", "CI", 90, 180),
    ("Keystone Community Care (Medicaid MCO)", "medicaid", "KCC77", "MC", 365, 60),
    ("Medicare Part B (demo MAC)", "medicare", "MCRB1", "MB", 365, 120),
    ("Self-pay", "self_pay", "", "ZZ", 365, 365),
]

ADULT_DIAGNOSES = [
    ("F411", "Generalized anxiety disorder"),
    ("F331", "Major depressive disorder, recurrent, moderate"),
    ("F4310", "Post-traumatic stress disorder, unspecified"),
    ("F902", "Attention-deficit hyperactivity disorder, combined type"),
    ("F4321", "Adjustment disorder with depressed mood"),
]
CHILD_DIAGNOSES = [
    ("F840", "Autistic disorder"),
    ("F902", "Attention-deficit hyperactivity disorder, combined type"),
]
SUD_DIAGNOSES = [
    ("F1020", "Alcohol dependence, uncomplicated"),
    ("F1120", "Opioid dependence, uncomplicated"),
]


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n


def _access(user: User, practice: Practice) -> PracticeAccess:
    access = practice_access_for(user=user, practice_id=practice.pk, audit=AuditContext.system("seed_demo"))
    if access is None:
        raise RuntimeError("The demo admin has no membership in the demo practice.")
    return access


def seed_users(report: SeedReport) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, first, last, _role, _credential in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@harborview.example",
            )
            report.count("users")
        users[username] = user
    return users


def seed_practice(details: PracticeDetails, admin: User, report: SeedReport) -> Practice:
    practice = Practice.objects.filter(billing_npi=details.billing_npi).first()
    if practice is None:
        practice = practice_create(details=details, admin_user_id=admin.pk)
        report.count("practices")
    return practice


def seed_memberships(practice: Practice, second: Practice, users: dict[str, User]) -> None:
    for username, _first, _last, role, _credential in DEMO_USERS:
        membership_grant(user_id=users[username].pk, practice_id=practice.pk, role=role)
    # A billing company's biller works for both practices.
    membership_grant(user_id=users["biller"].pk, practice_id=second.pk, role="biller")


def seed_authenticators(practice: Practice, users: dict[str, User]) -> None:
    """Enrol each demo user's authenticator the way a real user does, with the documented key.

    The practice issues a one-time enrolment code, the user redeems it, and confirms the new
    authenticator with its current 6-digit code (all through the real services, all audited).
    """
    context = AuditContext.system("seed_demo")
    for user in users.values():
        if mfa_confirmed_device(user=user) is not None:
            continue
        issued = practice_services.mfa_enrolment_code_issue(
            practice_id=practice.pk, user_id=user.pk, context=context
        )
        code_id = practice_services.mfa_enrolment_code_redeem(
            user=user, code=issued.code, context=context, key_hex=DEMO_TOTP_KEY_HEX
        )
        device = practice_services.mfa_enrolment_pending_device(user=user)
        if device is None:
            raise RuntimeError("The demo authenticator was not prepared.")
        # The authenticator's current code, as a user types it (it is spent: `make totp` shows
        # the next one within 30 seconds, long before the rest of the seed has finished).
        token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        practice_services.mfa_enrolment_complete(
            user=user, code_id=code_id, token=f"{token:0{device.digits}d}", context=context
        )


def seed_locations(access: PracticeAccess, report: SeedReport) -> None:
    existing = set(Practice.objects.get(pk=access.practice_id).locations.values_list("name", flat=True))
    for name, line1, pos in [
        ("Harborview Main Clinic", "410 Lighthouse Avenue", "11"),
        ("Harborview Community School Program", "15 Schoolhouse Lane", "03"),
    ]:
        if name not in existing:
            practice_services.location_create(
                access=access,
                name=name,
                address_line1=line1,
                city="Portland",
                state="ME",
                postal_code="04101",
                default_place_of_service=pos,
            )
            report.count("locations")


def seed_providers(
    access: PracticeAccess, users: dict[str, User], today: dt.date, report: SeedReport
) -> dict[str, Provider]:
    providers: dict[str, Provider] = {}
    for index, (username, first, last, _role, credential) in enumerate(DEMO_USERS):
        if credential is None:
            continue
        provider = Provider.objects.filter(practice_id=access.practice_id, user=users[username]).first()
        if provider is None:
            # Everyone who renders has an NPI, technicians too: the Medicaid plan bills the BHT's
            # and the RBT's sessions under their own NPI with the supervisor on the claim.
            provider = practice_services.provider_create(
                access=access,
                first_name=first,
                last_name=last,
                credential=credential,
                npi=npi_with_check_digit(f"13579{index:04d}"),
                taxonomy_code={
                    "LCSW": "1041C0700X",
                    "LPC": "101YP2500X",
                    "BCBA": "103K00000X",
                    "RBT": "106S00000X",
                }.get(credential, ""),
                user_id=users[username].pk,
            )
            report.count("providers")
            if credential not in {"BHT"}:
                # One licence expiring soon and one long-valid, so the alerts show.
                expires = (
                    today + dt.timedelta(days=30)
                    if username == "clinician"
                    else today + dt.timedelta(days=700)
                )
                practice_services.license_add(
                    access=access,
                    provider_id=provider.pk,
                    number=f"ME-{credential}-{1000 + index}",
                    state="ME",
                    kind=credential,
                    expires_on=expires,
                )
        providers[username] = provider
    # A psychiatrist with no login (renders medication visits; not supervised).
    psychiatrist = Provider.objects.filter(practice_id=access.practice_id, last_name="Ferreira").first()
    if psychiatrist is None:
        psychiatrist = practice_services.provider_create(
            access=access,
            first_name="Dana",
            last_name="Ferreira",
            credential="MD/DO",
            npi=npi_with_check_digit("135799999"),
            taxonomy_code="2084P0800X",
        )
        report.count("providers")
    providers["psychiatrist"] = psychiatrist
    return providers


def seed_supervision(
    access: PracticeAccess, providers: dict[str, Provider], today: dt.date, report: SeedReport
) -> None:
    starts = today - dt.timedelta(days=400)
    for supervisor, supervisee in [("supervisor", "tech"), ("bcba", "rbt")]:
        if not providers[supervisee].supervisors.filter(supervisor=providers[supervisor]).exists():
            practice_services.supervision_add(
                access=access,
                supervisor_id=providers[supervisor].pk,
                supervisee_id=providers[supervisee].pk,
                starts_on=starts,
            )
            report.count("supervisions")


def seed_payers(access: PracticeAccess, report: SeedReport) -> dict[str, Payer]:
    payers: dict[str, Payer] = {}
    for name, kind, payer_id, indicator, timely, appeal in DEMO_PAYERS:
        payer = Payer.objects.filter(practice_id=access.practice_id, name=name).first()
        if payer is None:
            payer = payer_services.payer_create(
                access=access,
                name=name,
                kind=kind,
                payer_id=payer_id,
                claim_filing_indicator=indicator,
                address_line1="PO Box 4400" if kind != "self_pay" else "",
                city="Augusta" if kind != "self_pay" else "",
                state="ME" if kind != "self_pay" else "",
                postal_code="04330" if kind != "self_pay" else "",
                timely_filing_days=timely,
                appeal_window_days=appeal,
            )
            report.count("payers")
        payers[kind] = payer
    return payers


# Claims-sandbox member-ID prefixes for later insured patients: the payer denies each in its own
# category (SBCMAX is a parity candidate), leaves one to the deductible, and pays one off
# balance (a posting exception). demo/seed_cycle.py takes the denials on.
DENIAL_SCENARIOS = [
    "SBCMODIFIER",
    "SBCDUP",
    "SBCMAX",
    "SBCLATE",
    "SBCINFO",
    "SBCTERM",
    "SBCDIAG",
    "SBCDEDUCT",
    "SBCAUTH",
    "SBCOFF",
]
# ...and for some of the patients the sandbox otherwise pays in full: the remaining denial
# categories (coordination of benefits, contractual, credentialing), a PR denial the biller moves
# to the patient (D6), a line and a claim that match nothing (exceptions left open for a manual
# match), and a second timely-filing and duplicate denial, so each category keeps an open one
# after the biller's appeal and write-off.
MORE_SCENARIOS = [
    "SBCCOB",
    "SBCZERO",
    "SBCENROLL",
    "SBCNOTCOV",
    "SBCNOMATCH",
    "SBCNOCLAIM",
    "SBCLATE",
    "SBCDUP",
]
# The patients who get one extra session in the oldest claim batch, so its 835 shows each of
# these answers (demo/seed_clinical.py `_cycle_cases`): the last patient of each prefix (the
# second-to-last for a prefix named twice).
CYCLE_PREFIXES = ("SBCPART", "SBCNECESSITY", *DENIAL_SCENARIOS, *MORE_SCENARIOS)
MEDICARE_ENROLLED_DAYS_AGO = 35  # the clinician's Medicare enrolment: effective five weeks ago
PART2_SIGNED_LATE_DAYS_AGO = 50  # one substance-use patient signed the Part 2 consent after starting


def seed_enrollments(
    access: PracticeAccess, providers: dict[str, Provider], payers: dict[str, Payer], today: dt.date
) -> None:
    for key, provider in providers.items():
        if provider.credential in {"BHT"}:
            continue
        for kind, payer in payers.items():
            if kind == "self_pay" or provider.enrollments.filter(payer=payer).exists():
                continue
            # The LPC's Medicare enrolment (LPCs may bill Medicare from 2024) came through recently:
            # her Medicare sessions before that day wait on hold, the later ones are ready.
            recent = key == "clinician" and kind == "medicare"
            payer_services.enrollment_set(
                access=access,
                provider_id=provider.pk,
                payer_pk=payer.pk,
                status="enrolled",
                effective_on=today - dt.timedelta(days=MEDICARE_ENROLLED_DAYS_AGO if recent else 365),
            )


def _patient_plan(fake: Faker, rng: random.Random, index: int, today: dt.date) -> dict[str, object]:
    """What patient number `index` looks like: deterministic, varied across the states we show."""
    kind = "child" if index % 5 == 0 else ("sud" if index % 7 == 3 else "adult")
    age = rng.randint(4, 12) if kind == "child" else rng.randint(19, 78)
    dob = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    sex = rng.choice(["F", "M"])
    first = fake.first_name_female() if sex == "F" else fake.first_name_male()
    return {"kind": kind, "dob": dob, "sex": sex, "first": first, "last": fake.last_name()}


def seed_patients(
    access: PracticeAccess,
    providers: dict[str, Provider],
    payers: dict[str, Payer],
    today: dt.date,
    report: SeedReport,
) -> dict[str, list[str]]:
    """Create the patients; return each demo account number's care team (provider keys)."""
    fake = Faker("en_US")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)  # noqa: S311 - synthetic demo data
    existing = patient_ids_by_account_number(practice_id=access.practice_id)
    insured_kinds = ["commercial", "medicaid", "medicare"]
    # The first insured patients carry the sandbox clearinghouse's test member IDs, one per
    # scenario, so the demo's eligibility checks show every answer (seed_eligibility).
    sandbox_ids = iter(sorted(SANDBOX_MEMBERS))
    claim_scenarios = iter(
        ["SBCCHREJ", "SBCPART", "SBCPAYREJ", "SBCAUTH", "SBCX12", "SBCPART", "SBCNECESSITY"]
    )
    denial_scenarios = iter(DENIAL_SCENARIOS)
    more_scenarios = iter(MORE_SCENARIOS)
    teams: dict[str, list[str]] = {}
    for index in range(1, PATIENT_COUNT + 1):
        plan = _patient_plan(fake, rng, index, today)
        street = fake.street_address()
        account = f"HV-{index:04d}"
        kind = str(plan["kind"])
        child = kind == "child"
        team = ["rbt", "bcba"] if child else ["tech", "supervisor"] if index % 2 else ["clinician"]
        if kind == "adult" and index % 9 == 0:
            team.append("psychiatrist")
        teams[account] = team
        if account in existing:
            continue
        payer_kind = "medicaid" if kind in {"child", "sud"} else insured_kinds[index % 3]
        if index % 17 == 0:
            payer_kind = "self_pay"
        if payer_kind == "medicare" and kind == "adult":
            plan["dob"] = today - dt.timedelta(days=rng.randint(66, 80) * 365)
        guarantor = (
            GuarantorInput(
                relationship="parent",
                first_name=fake.first_name(),
                last_name=str(plan["last"]),
                date_of_birth=today - dt.timedelta(days=rng.randint(28, 50) * 365),
                address_line1=street,
                city="Portland",
                state="ME",
                postal_code="04102",
                phone=f"207-555-01{index % 100:02d}",
            )
            if child
            else None
        )
        coverage = None
        if payer_kind != "self_pay":
            member_id = f"{payers[payer_kind].payer_id[:3]}{rng.randint(10_000_000, 99_999_999)}"
            sandbox_id = next(sandbox_ids, None) if index % 13 else None
            if sandbox_id is None and index % 13 and index % 3 == 0:
                # then some of the claims sandbox's test members, so submitted claims are
                # rejected or paid in part (demo/seed_claims.py)
                scenario = next(claim_scenarios, None)
                sandbox_id = f"{scenario}{index:04d}" if scenario else None
            elif sandbox_id is None and index % 13 and index % 3 == 2:
                # and the payer's denials in every category (demo/seed_cycle.py)
                scenario = next(denial_scenarios, None)
                sandbox_id = f"{scenario}{index:04d}" if scenario else None
            elif sandbox_id is None and index % 13 and kind != "sud":
                # (not a substance-use patient: one whose Part 2 consent came late has the
                # session held back, never billed)
                scenario = next(more_scenarios, None)
                sandbox_id = f"{scenario}{index:04d}" if scenario else None
            coverage = CoverageInput(
                payer_id=payers[payer_kind].pk,
                member_id=sandbox_id or member_id,
                group_number="" if payer_kind != "commercial" else f"GRP{rng.randint(1000, 9999)}",
                effective_on=today - dt.timedelta(days=rng.randint(200, 900)),
                terminates_on=today - dt.timedelta(days=10) if index % 13 == 0 else None,
                subscriber_relationship="19" if child else "18",
                subscriber_first_name=guarantor.first_name if guarantor else "",
                subscriber_last_name=guarantor.last_name if guarantor else "",
                subscriber_date_of_birth=guarantor.date_of_birth if guarantor else None,
                subscriber_sex="F" if child else "",
            )
        patient = patient_services.patient_create(
            access=access,
            patient=PatientInput(
                first_name=str(plan["first"]),
                last_name=str(plan["last"]),
                date_of_birth=plan["dob"],  # type: ignore[arg-type]
                sex=str(plan["sex"]),
                address_line1=street,
                city="Portland",
                state="ME",
                postal_code="04102",
                phone=f"207-555-02{index % 100:02d}",
                account_number=account,
                is_substance_use_program=kind == "sud",
            ),
            guarantor=guarantor,
            coverage=coverage,
            today=today,
        )
        report.count("patients")
        if coverage is not None and coverage.terminates_on is not None:
            # Coverage lapsed; the patient moved to the Medicaid plan the next day.
            patient_services.coverage_add(
                access=access,
                patient_id=patient.pk,
                coverage=CoverageInput(
                    payer_id=payers["medicaid"].pk,
                    member_id=f"KCC{rng.randint(10_000_000, 99_999_999)}",
                    effective_on=coverage.terminates_on + dt.timedelta(days=1),
                ),
                today=today,
            )
        if index % 6 == 0 and payer_kind == "commercial":
            patient_services.coverage_add(
                access=access,
                patient_id=patient.pk,
                coverage=CoverageInput(
                    payer_id=payers["medicaid"].pk,
                    member_id=f"KCC{rng.randint(10_000_000, 99_999_999)}",
                    effective_on=today - dt.timedelta(days=120),
                    priority=2,
                ),
                today=today,
            )
        pool = CHILD_DIAGNOSES if child else SUD_DIAGNOSES if kind == "sud" else ADULT_DIAGNOSES
        for rank, (code, description) in enumerate(rng.sample(pool, k=min(2, len(pool))), start=1):
            patient_services.diagnosis_add(
                access=access,
                patient_id=patient.pk,
                diagnosis=DiagnosisInput(code=code, description=description, rank=rank),
                today=today,
            )
        signed = today - dt.timedelta(days=rng.randint(30, 300))
        for consent_kind in ("treatment", "hipaa_notice", "assignment_of_benefits"):
            patient_services.consent_add(
                access=access,
                patient_id=patient.pk,
                consent=ConsentInput(kind=consent_kind, signed_on=signed),
                today=today,
            )
        signed_late = kind == "sud" and index % 4 == 3
        if kind == "sud" and (index % 2 == 0 or signed_late):
            # Substance-use patients: most signed a Part 2 consent at intake; some (index % 4 == 3,
            # e.g. HV-0003) only weeks after starting, so their earlier sessions cannot be billed to
            # the plan yet; the others (HV-0017, HV-0045) have none on file.
            patient_services.consent_add(
                access=access,
                patient_id=patient.pk,
                consent=ConsentInput(
                    kind="part2_tpo",
                    signed_on=today - dt.timedelta(days=PART2_SIGNED_LATE_DAYS_AGO)
                    if signed_late
                    else signed,
                    recipient="Harborview billing office and the patient's health plan",
                    purpose="Treatment, payment and health care operations",
                ),
                today=today,
            )
        for key in team:
            patient_services.care_team_add(
                access=access, patient_id=patient.pk, provider_id=providers[key].pk
            )
    return teams


def seed_second_practice(
    second: Practice, users: dict[str, User], today: dt.date, report: SeedReport
) -> None:
    """A small second practice, so the biller's practice switcher has somewhere to go."""
    admin = users["admin"]
    membership_grant(user_id=admin.pk, practice_id=second.pk, role="practice_admin")
    access = _access(admin, second)
    payer = Payer.objects.filter(practice_id=second.pk, name="Blue Harbor Health").first()
    if payer is None:
        payer = payer_services.payer_create(
            access=access,
            name="Blue Harbor Health",
            kind="commercial",
            payer_id="BHH01",
            claim_filing_indicator="CI",
        )
        report.count("payers")
    if not patient_ids_by_account_number(practice_id=second.pk):
        for index, (first, last) in enumerate([("Milo", "Ashby"), ("Ivy", "Brennan")], start=1):
            patient_services.patient_create(
                access=access,
                patient=PatientInput(
                    first_name=first,
                    last_name=last,
                    date_of_birth=today - dt.timedelta(days=(6 + index) * 365),
                    sex="M" if index == 1 else "F",
                    address_line1=f"{index * 12} Birch Street",
                    city="Bangor",
                    state="ME",
                    postal_code="04401",
                    account_number=f"CR-{index:04d}",
                ),
                guarantor=GuarantorInput(
                    relationship="parent",
                    first_name="Jordan",
                    last_name=last,
                    address_line1=f"{index * 12} Birch Street",
                    city="Bangor",
                    state="ME",
                    postal_code="04401",
                ),
                coverage=CoverageInput(
                    payer_id=payer.pk,
                    member_id=f"BHH{70000000 + index}",
                    effective_on=today - dt.timedelta(days=300),
                    subscriber_relationship="19",
                    subscriber_first_name="Jordan",
                    subscriber_last_name=last,
                    subscriber_date_of_birth=today - dt.timedelta(days=38 * 365),
                    subscriber_sex="F",
                ),
            )
            report.count("patients")


def primary_member_prefix_patient_ids(*, practice_id: int, prefixes: tuple[str, ...]) -> list[int]:
    """The patients whose primary coverage's member ID starts with one of `prefixes`, in the
    prefixes' order: the last such patient by account number, the one before it for the second
    time a prefix is named, and so on (none when there are fewer)."""
    rows = patient_selectors.primary_member_ids(practice_id=practice_id)
    found: dict[str, list[int]] = {}
    for member_id, patient_id in rows:
        prefix = next((p for p in prefixes if member_id.startswith(p)), None)
        if prefix is not None:
            found.setdefault(prefix, []).append(patient_id)
    picked: list[int] = []
    named: dict[str, int] = {}
    for prefix in prefixes:
        named[prefix] = named.get(prefix, 0) + 1
        candidates = found.get(prefix, [])
        if len(candidates) >= named[prefix]:
            picked.append(candidates[-named[prefix]])
    return picked


def seed_all(*, now: dt.datetime) -> SeedReport:
    """Build the whole demo as of `now` (an aware datetime; the practice's today follows from it)."""
    report = SeedReport()
    today = local_date(now, MAIN_PRACTICE.timezone)
    users = seed_users(report)
    practice = seed_practice(MAIN_PRACTICE, users["admin"], report)
    second = seed_practice(SECOND_PRACTICE, users["admin"], report)
    seed_memberships(practice, second, users)
    seed_authenticators(practice, users)
    access = _access(users["admin"], practice)
    seed_locations(access, report)
    providers = seed_providers(access, users, today, report)
    seed_supervision(access, providers, today, report)
    payers = seed_payers(access, report)
    seed_enrollments(access, providers, payers, today)
    report.count("payer_rule_versions", demo_payer_rules_seed(access=access, payers_by_kind=payers))
    seed_fees(access=access, payers=payers, since=dt.date(today.year - 1, 1, 1))
    teams = seed_patients(access, providers, payers, today, report)
    patient_ids = patient_ids_by_account_number(practice_id=practice.pk)
    report.count(
        "authorizations",
        seed_authorizations(access=access, payers=payers, teams=teams, patient_ids=patient_ids, today=today),
    )
    practice_services.license_expiry_alerts_raise(today=today)
    seed_second_practice(second, users, today, report)
    made = seed_clinical(
        practice_id=practice.pk,
        cycle_patient_ids=primary_member_prefix_patient_ids(practice_id=practice.pk, prefixes=CYCLE_PREFIXES),
        timezone_name=MAIN_PRACTICE.timezone,
        users=users,
        teams=teams,
        patient_ids=patient_ids,
        now=now,
    )
    for what, n in made.items():
        report.count(what, n)
    report.count("eligibility_checks", seed_eligibility(access=access, today=today))
    # After the charges: their capture is queued on commit too (in-process, it has run by then).
    biller = _access(users["biller"], practice)
    transaction.on_commit(lambda: _seed_money(biller, today))
    return report


def _seed_money(biller: PracticeAccess, today: dt.date) -> None:
    """Claims through the sandbox (their 835 posted, denials opened, all in-process), then what a
    biller does next: appeals, write-off, resubmission, a copay and a statement."""
    seed_claims(access=biller, oldest_through=today - dt.timedelta(days=CYCLE_DAYS_AGO))
    seed_cycle(access=biller, today=today)


def demo_memberships() -> list[Membership]:
    return list(
        Membership.objects.filter(user__username__in=[u[0] for u in DEMO_USERS])
        .select_related("user", "practice")
        .order_by("practice__legal_name", "user__username")
    )
