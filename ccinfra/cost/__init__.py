"""Bill of materials, price book, cost model and outsourcing comparison. Pure functions of a Plan.

``bom.build_bom(plan, prices)`` and ``model.cost(plan, prices, regions)`` read no files and print
nothing; ``pricebook.load_price_book`` and ``rates.load_rates`` read the two data files.
"""
