"""Shape step: simplify boundaries, harmonise series onto one municipal map, tag policy regions."""
