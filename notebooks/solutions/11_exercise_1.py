# Notebook 11, exercise 1: the layer-2 L2 component of the greedy hypergradient by the closed form.
g = train_loss.grad(w_check, meta_check, t_check)                       # T1 gradient
w_next = w_check - lr_check * g                                         # the SGD step
u = valid_loss.value_and_grads(w_next, meta_check, s_check)[1]          # T2 gradient after the step
layer2 = mlp.layer_slices[1]
answer = -lr_check * 2 * LN10 * 10 ** meta_check[1] * (w_check[layer2] @ u[layer2])
print(f"d C2 / d log10 lambda_2 = {answer:+.4e}")
check_l2_component(answer, train_loss, valid_loss, w_check, meta_check, t_check, s_check, lr_check)
