"""SLA clocks on business calendars (K8, K17): calendars, policies, due times."""
