"""Assessment rounds: the department's and the provinces' due dates."""
