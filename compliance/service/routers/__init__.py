"""One router per concern: screening, EAR evaluation, lists, review, health."""
