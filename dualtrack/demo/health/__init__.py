"""The demo district's prevention work: a screening campaign, quarantine, a small cluster."""
