"""Official letters: PDF from templates that are data (letters/data/letters.yaml).

    from letters.services import letter_issue   # number, render, store, record: the one way
    from letters.render import render_letter    # the PDF alone (samples, previews)

See letters/services.py for issuing a letter, letters/models.py for what is kept and
letters/data/letters.yaml for each kind's context keys.
"""
