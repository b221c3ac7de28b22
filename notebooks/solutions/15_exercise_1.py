# Notebook 15, exercise 1: the price of one hypergradient step in gradient evaluations.
T, c, V, K = 300, 1.5, 20, 20
reversible = T + T * (1 + c) + V   # forward run; per reverse step a recomputed gradient + an HVP; validation gradient
ift = T + (K - 1) * c + V           # the training run; K Neumann terms need K - 1 HVPs; validation gradient
print(f"reversible: {reversible:g} gradient evaluations ({reversible / T:.2f} trainings); IFT: {ift:g} ({ift / T:.2f})")
check_costs(reversible, ift)
