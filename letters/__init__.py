"""Official letters: PDF from templates that are data (letters/data/letters.yaml).

    from letters.render import render_letter
    from letters.numbers import letter_number

See letters/render.py for the entry point and letters/data/letters.yaml for each kind's
context keys.
"""
