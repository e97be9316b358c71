"""One adapter per paid provider; each imports its SDK only when it is used."""
