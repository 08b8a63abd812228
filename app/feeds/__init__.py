"""Atom feeds of new notes, questions and answers: site-wide, per book, per member."""
