print("hooklog")
