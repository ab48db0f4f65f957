"""Reading and checking content: front matter, the parse tree, the source rules, translations, the project."""
