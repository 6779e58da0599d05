"""The government services' pages: public ones for a phone, and the departments' own."""
