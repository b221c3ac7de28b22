# Exercise 5 of notebook 09: checkpointing vs the information buffer vs the trajectory.
import math


def memory_bytes(method, d, T, beta=0.9):
    """Bytes the reverse pass keeps alive: float64 (w, v) = 16 bytes per weight per stored state."""
    if method == "trajectory":
        return 16 * d * T
    if method == "checkpoints":
        c = math.ceil(math.sqrt(T))
        return 16 * d * (c + math.ceil(T / c))  # c checkpoints + one recomputed segment
    if method == "buffer":
        return d * T * math.log2(1 / beta) / 8
    raise ValueError(method)


try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_09 import check_memory_budget
except ImportError:
    from checks_09 import check_memory_budget
check_memory_budget(memory_bytes)

d, beta = 12_730, 0.9
for T in (100, 1000, 10_000, 100_000, 1_000_000, 10_000_000):
    print(f"T = {T:>10,}: " + ", ".join(f"{m} {memory_bytes(m, d, T, beta) / 1e6:,.1f} MB"
                                        for m in ("trajectory", "checkpoints", "buffer")))
T = 100
while memory_bytes("buffer", d, T, beta) < memory_bytes("checkpoints", d, T, beta):
    T = int(T * 1.01) + 1
print(f"the buffer needs less memory than sqrt(T) checkpointing up to about T = {T:,}")
# Per weight: 0.019 bytes x T for the buffer against 32 bytes x sqrt(T) for checkpointing, so the buffer wins
# for every horizon up to a few million steps (beta = 0.9), by 20x at T = 1000 -- but it grows linearly, and
# checkpointing, which grows like sqrt(T), overtakes it eventually. Checkpointing is also exact (it recomputes
# forward and never reverses), at the price of one extra forward pass; the buffer needs exact arithmetic instead.
# With small momenta the buffer is dearer (beta = 0.5: 1 bit per step) and the crossover comes much sooner.
