"""Everything that reproduces Copier. Each module names the Copier behaviour it mirrors
and the differential test that holds it to Copier."""
