"""Pages of the supplies app: thin views over the selectors, the figures and the services, one
module per subtopic (``urls`` imports the views from their modules)."""
