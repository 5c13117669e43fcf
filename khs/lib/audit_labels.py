"""What each audit entry's verb means, in words a person understands: the one table the change log reads.

Every verb a service writes (`audit_log(verb=…)`) has its label here; tests/khs/test_audit_labels.py reads
the source for every verb written and fails when one is missing. Labels are past-tense sentences in the
"audit" context, translated like any other text.
"""

from django.utils.translation import pgettext, pgettext_lazy

VERB_LABELS = {
    # The Django admin (the administrators' fallback)
    "admin_save": pgettext_lazy("audit", "Lagret i administrasjonen"),
    "admin_delete": pgettext_lazy("audit", "Slettet i administrasjonen"),
    "admin_save_related": pgettext_lazy("audit", "Koblinger endret i administrasjonen"),
    "admin_inline": pgettext_lazy("audit", "Underliggende rad endret i administrasjonen"),
    # The register
    "cooperation_create": pgettext_lazy("audit", "Samarbeidet ble opprettet"),
    "cooperation_update": pgettext_lazy("audit", "Samarbeidets opplysninger ble endret"),
    "cooperation_staff_set": pgettext_lazy("audit", "Samarbeidets ansatte ble endret"),
    "cooperation_agreement_create": pgettext_lazy("audit", "Samarbeidsavtale registrert"),
    "cooperation_agreement_update": pgettext_lazy("audit", "Samarbeidsavtalen ble endret"),
    "municipality_create": pgettext_lazy("audit", "Kommunen ble registrert"),
    "municipality_update": pgettext_lazy("audit", "Kommunens opplysninger ble endret"),
    "municipality_merge": pgettext_lazy("audit", "Sammenslåing eller nytt kommunenummer registrert"),
    "membership_create": pgettext_lazy("audit", "Medlemskap registrert"),
    "membership_update": pgettext_lazy("audit", "Medlemskapet ble endret"),
    "membership_end": pgettext_lazy("audit", "Medlemskapet ble avsluttet"),
    "membership_invitation_create": pgettext_lazy("audit", "Invitasjon til medlemskap sendt"),
    "membership_invitation_answer": pgettext_lazy("audit", "Svar på invitasjon til medlemskap registrert"),
    "member_contact_update": pgettext_lazy("audit", "Fakturaopplysninger for medlemmet ble endret"),
    "person_create": pgettext_lazy("audit", "Person registrert"),
    "person_update": pgettext_lazy("audit", "Personens opplysninger ble endret"),
    "office_begin": pgettext_lazy("audit", "Verv registrert"),
    "office_update": pgettext_lazy("audit", "Vervet ble endret"),
    "office_end": pgettext_lazy("audit", "Vervet ble avsluttet"),
    "population_import": pgettext_lazy("audit", "Innbyggertall importert"),
    "member_user_ensure": pgettext_lazy("audit", "Brukerkonto for medlem opprettet"),
    "member_login_link": pgettext_lazy("audit", "Innloggingslenke sendt"),
    # Bodies and meetings
    "body_create": pgettext_lazy("audit", "Organet ble opprettet"),
    "body_update": pgettext_lazy("audit", "Organet ble endret"),
    "body_quorum_set": pgettext_lazy("audit", "Regelen for vedtaksførhet ble endret"),
    "body_minutes_settings_set": pgettext_lazy("audit", "Innstillingene for protokoll og stemmer ble endret"),
    "meeting_create": pgettext_lazy("audit", "Møtet ble opprettet"),
    "meeting_update": pgettext_lazy("audit", "Møtet ble endret"),
    "meeting_status_set": pgettext_lazy("audit", "Møtets status ble endret"),
    "meeting_invitee_add": pgettext_lazy("audit", "Innkalt lagt til"),
    "meeting_invitee_remove": pgettext_lazy("audit", "Innkalt fjernet"),
    "meeting_invitees_reset": pgettext_lazy("audit", "Listen over innkalte ble laget på nytt"),
    "meeting_summon": pgettext_lazy("audit", "Innkalling sendt"),
    "meeting_summons_resend": pgettext_lazy("audit", "Endret innkalling sendt"),
    "meeting_supplementary_summon": pgettext_lazy("audit", "Tilleggsinnkalling sendt"),
    "meeting_cancel_notify": pgettext_lazy("audit", "Melding om avlysning sendt"),
    "dispatch_resend_failed": pgettext_lazy("audit", "Innkalling sendt på nytt til dem som ikke fikk den"),
    "attendance_answer": pgettext_lazy("audit", "Svar på innkallingen registrert"),
    "attendance_remind": pgettext_lazy("audit", "Påminnelse om å svare sendt"),
    "attendance_check_in": pgettext_lazy("audit", "Oppmøte registrert"),
    # Cases
    "case_draft": pgettext_lazy("audit", "Saken ble opprettet som utkast"),
    "case_register": pgettext_lazy("audit", "Saken ble registrert"),
    "case_number_give": pgettext_lazy("audit", "Saken fikk saksnummer"),
    "case_update": pgettext_lazy("audit", "Saken ble endret"),
    "case_move": pgettext_lazy("audit", "Saken ble flyttet til et annet møte"),
    "case_withdraw": pgettext_lazy("audit", "Saken ble trukket"),
    "case_delete": pgettext_lazy("audit", "Utkastet ble slettet"),
    "case_series_continue": pgettext_lazy("audit", "Saksnummereringen ble videreført"),
    "case_attachment_add": pgettext_lazy("audit", "Vedlegg lagt til"),
    "case_attachment_remove": pgettext_lazy("audit", "Vedlegg fjernet"),
    "case_reference_add": pgettext_lazy("audit", "Henvisning til tidligere sak lagt til"),
    "case_reference_remove": pgettext_lazy("audit", "Henvisning til tidligere sak fjernet"),
    "case_extract_send": pgettext_lazy("audit", "Særutskrift sendt"),
    "agenda_reorder": pgettext_lazy("audit", "Sakslisten ble ordnet på nytt"),
    # Minutes
    "minutes_create": pgettext_lazy("audit", "Protokollen ble påbegynt"),
    "minutes_update": pgettext_lazy("audit", "Protokollen ble endret"),
    "minutes_participant_add": pgettext_lazy("audit", "Deltaker lagt til i protokollen"),
    "minutes_item_add": pgettext_lazy("audit", "Sak lagt til i protokollen"),
    "minutes_item_update": pgettext_lazy("audit", "Behandlingen av en sak ble endret i protokollen"),
    "minutes_proposal_add": pgettext_lazy("audit", "Forslag lagt til i protokollen"),
    "minutes_proposal_remove": pgettext_lazy("audit", "Forslag fjernet fra protokollen"),
    "minutes_disqualification_add": pgettext_lazy("audit", "Inhabilitet registrert"),
    "minutes_disqualification_remove": pgettext_lazy("audit", "Inhabilitet fjernet"),
    "minutes_submit": pgettext_lazy("audit", "Protokollen ble sendt til godkjenning"),
    "minutes_sign": pgettext_lazy("audit", "Protokollen ble signert"),
    "minutes_correction_request": pgettext_lazy("audit", "Retting av protokollen ble bedt om"),
    "minutes_approve": pgettext_lazy("audit", "Protokollen ble godkjent"),
    # Publishing and follow-up
    "case_publication_set": pgettext_lazy("audit", "Publiseringen av saken ble endret"),
    "meeting_publication_set": pgettext_lazy("audit", "Publiseringen av møtet ble endret"),
    "follow_up_create": pgettext_lazy("audit", "Oppfølging registrert"),
    "follow_up_update": pgettext_lazy("audit", "Oppfølgingen ble endret"),
    "member_decisions_request": pgettext_lazy("audit", "Medlemskommunenes vedtak etterspurt"),
    "member_decisions_from_extract": pgettext_lazy("audit", "Medlemskommunenes vedtak etterspurt med særutskriften"),
    "member_decision_record": pgettext_lazy("audit", "Vedtak i medlemskommune registrert"),
    # Billing
    "billing_profile_save": pgettext_lazy("audit", "Faktureringsoppsettet ble endret"),
    "rate_create": pgettext_lazy("audit", "Kontingentsats registrert"),
    "rate_link_case": pgettext_lazy("audit", "Satsen ble knyttet til vedtaket"),
    "basis_override_set": pgettext_lazy("audit", "Eget grunnlag for fakturering satt"),
    "basis_override_remove": pgettext_lazy("audit", "Eget grunnlag for fakturering fjernet"),
    "member_reference_set": pgettext_lazy("audit", "Bestillerreferanse endret"),
    "invoice_run_issue": pgettext_lazy("audit", "Faktura utstedt i fakturakjøring"),
    "credit_note_issue": pgettext_lazy("audit", "Kreditnota utstedt"),
    "invoice_send": pgettext_lazy("audit", "Sendt på e-post"),
    "invoice_remind": pgettext_lazy("audit", "Betalingspåminnelse sendt"),
    "payment_register": pgettext_lazy("audit", "Innbetaling registrert"),
    "payment_reverse": pgettext_lazy("audit", "Innbetaling tilbakeført"),
    "payment_file_import": pgettext_lazy("audit", "Innbetalinger importert fra bankfil"),
}


def verb_label(verb: str) -> str:
    """The label of a verb; one the table does not know (an entry written by older code) is still shown
    in words, with its identifier in brackets for whoever must look it up."""
    label = VERB_LABELS.get(verb)
    if label is not None:
        return str(label)
    return pgettext("audit", "Annen endring (%(verb)s)") % {"verb": verb}
