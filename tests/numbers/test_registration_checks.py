"""The checks an A2P 10DLC registration passes before it is submitted (carriers' most common rejections)."""

from services.numbers.domain.registration import RegistrationDraft, problems_before_submission

BUNDLE = "BU" + "ab" * 16


def a_draft(**changes) -> RegistrationDraft:
    fields = dict(
        company_name="Rivera for Council", ein="12-3456789", website="https://riveraforcouncil.org",
        contact_email="ops@riveraforcouncil.org", customer_profile_bundle_sid=BUNDLE, a2p_profile_bundle_sid=BUNDLE,
        use_case="MIXED", description="Volunteers text supporters about events, canvassing shifts and voting reminders.",
        message_flow="Supporters opt in by checking a box on the signup form at riveraforcouncil.org/join.",
        sample_messages=[
            "Hi Sam, this is Ana with Rivera for Council. Can you canvass Saturday? Reply STOP to opt out.",
            "Thanks for volunteering! The phone bank starts at 6pm tonight at the Eastside office.",
        ],
        privacy_policy_url="https://riveraforcouncil.org/privacy",
    )
    return RegistrationDraft(**{**fields, **changes})


def fields_of(draft: RegistrationDraft) -> list[str]:
    return [problem.field for problem in problems_before_submission(draft)]


def test_a_complete_draft_has_no_problems():
    assert problems_before_submission(a_draft()) == []


def test_samples_without_opt_out_language_are_caught():
    draft = a_draft(sample_messages=["Hi Sam, can you canvass on Saturday morning?", "Phone bank starts at 6pm tonight."])
    [problem] = problems_before_submission(draft)
    assert problem.field == "sample_messages" and "Reply STOP" in problem.problem


def test_privacy_policy_and_opt_in_description_are_required():
    assert fields_of(a_draft(privacy_policy_url="", message_flow="")) == ["message_flow", "privacy_policy_url"]
    no_consent = a_draft(message_flow="People get our messages when we have something important to share.")
    assert fields_of(no_consent) == ["message_flow"]


def test_samples_must_fit_the_use_case():
    marketing = "Big sale this weekend: 20% off all campaign gear! Reply STOP to opt out."
    problems = problems_before_submission(a_draft(use_case="ACCOUNT_NOTIFICATION", sample_messages=[marketing, marketing]))
    assert [p.field for p in problems] == ["sample_messages.0", "sample_messages.1"]
    assert "choose MARKETING or MIXED" in problems[0].problem
    no_code = problems_before_submission(a_draft(use_case="2FA", sample_messages=["Your login code is ready. Reply STOP to opt out."] * 2))
    assert {p.problem for p in no_code} == {"a 2FA sample must show the one-time code"}


def test_business_details_and_sample_count_are_checked():
    draft = a_draft(company_name="", ein="123", website="riveraforcouncil", contact_email="nobody",
                    a2p_profile_bundle_sid="", sample_messages=["Only one sample, reply STOP to opt out"])
    assert fields_of(draft) == ["company_name", "ein", "website", "contact_email", "a2p_profile_bundle_sid", "sample_messages"]


def test_embedded_links_and_phones_are_read_from_the_samples():
    draft = a_draft(sample_messages=["Details at https://example.org/e, reply STOP to opt out", "Call us at (512) 555-0100 anytime"])
    assert draft.has_embedded_links and draft.has_embedded_phone
    assert not a_draft().has_embedded_links
