"""Evidence per indicator: photos and PDFs a committee attaches, sent from phones."""
