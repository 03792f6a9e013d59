"""Programme evaluation on screen: the fidelity checklist and the participant survey window."""
