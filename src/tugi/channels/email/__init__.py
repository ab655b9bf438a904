"""Email in (K14, K2, S2): reading real mail (parsing), deciding which ticket it belongs to
(threading) and whether it may ever get an automatic answer (loops). Pure functions, no database:
the intake stores what these modules decide."""
