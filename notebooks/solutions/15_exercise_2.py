# Notebook 15, exercise 2: a paired t test between two methods' per-seed test errors.
a, b = tests["random"], tests["hypernet"]
d = a - b
t = d.mean() / (d.std(ddof=1) / np.sqrt(d.size))
print(f"mean difference {100 * d.mean():+.2f} points, t = {t:.2f} with {d.size - 1} degrees of freedom")
check_paired_t(t, a, b)
