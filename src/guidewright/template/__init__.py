"""The template: its questionnaire, how it renders, which versions exist."""
