"""The static knowledge the generator draws from: the urbanisation map, the vendors and their
products, the data objects, the applications a commune may run, and the business processes.

Everything here is plain data in French (what users read) keyed by English names (what the code
speaks). Nothing is random here: the generator's modules pick from these tables with a seeded
``random.Random``.
"""
