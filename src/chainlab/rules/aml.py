"""A fictional exchange's AML risk-scoring policy, as data (introduced in 04_aml_monitoring_and_red_flags)."""

# Points each red flag adds to a customer's risk score (a fictional exchange's policy, not a legal standard).
RED_FLAG_WEIGHTS = {
    "structuring": 50,
    "rapid_in_and_out": 40,
    "direct_exposure": 30,
    "high_risk_jurisdiction": 20,
    "incomplete_kyc": 10,
}
REVIEW_SCORE = 30  # a customer whose score reaches this goes to the analysts' review queue

# This course's list: a fictional country. Real monitoring uses the FATF's current public lists.
HIGH_RISK_JURISDICTIONS = ("Fictional Republic of Norvask",)

FINDINGS = ("suspicious", "not suspicious")
