"""Re-applying a newer template to existing documents: plan, render, merge."""
