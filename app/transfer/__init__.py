"""Moving a whole site from one database engine to another (`flask transfer --to URL`)."""
