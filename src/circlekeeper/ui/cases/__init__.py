"""Cases: referrals, the pipeline to closure, diversion, family contact and follow-ups."""
