# Notebook 11, exercise 4: with ReLU, the one-step validation loss jumps in sigma, so finite differences fail.
relu_mlp = MLP([196, 100, 100, 10], activation="relu")
relu_train = T1T2TrainLoss(relu_mlp, X1, y1, batch_size=BATCH, seed=0)
relu_valid = T2ValidLoss(relu_mlp, X2, y2, batch_size=BATCH, seed=1)
w_relu = relu_mlp.init(0, scheme="he")
exact = t1t2.hypergradient(relu_train.at(t_check), relu_valid.at(s_check), w_relu, meta_check, lr_check)[-1]


def relu_valid_after_step(meta):
    w_next = w_relu - lr_check * relu_train.grad(w_relu, meta, t_check)
    return relu_valid.value_and_grads(w_next, meta, s_check)[0]


e_sigma = np.eye(4)[3]
for h in (1e-3, 1e-4, 1e-5):
    fd = central_difference(lambda d: relu_valid_after_step(meta_check + d * e_sigma), h)
    print(f"step {h:.0e}: finite difference {fd:+.4e}   (R-op value {exact:+.4e})")
print("The gradient of a ReLU net is piecewise constant in the input: when sigma moves, some unit switches and the\n"
      "gradient (hence the T1 step and C2 after it) jumps. A difference across a jump grows like 1/step, so no step\n"
      "size gives the derivative; the R-op value is the derivative between the jumps.")
