# Notebook 11, exercise 3: the official code's hypergradient (T2 gradient before the T1 step, no learning rate).
def official_hypergradient(train, valid, w, meta):
    u = valid.value_and_grads(w, meta)[1]          # grad C2 at theta_t: no T1 step first
    return -train.mixed_vjp(w, meta, u)            # eta dropped (absorbed into the T2 rate)


check_official_variant(official_hypergradient, train_loss, valid_loss, w_check, meta_check, t_check, s_check)
official = official_hypergradient(train_loss.at(t_check), valid_loss.at(s_check), w_check, meta_check)
paper = t1t2.hypergradient(train_loss.at(t_check), valid_loss.at(s_check), w_check, meta_check, lr_check)
cosine = official @ paper / (np.linalg.norm(official) * np.linalg.norm(paper))
print(f"official / paper, per hyperparameter: {np.round(official / paper, 2)} (lr = {lr_check}: expect about 1/lr)")
print(f"cosine between the two directions: {cosine:.4f}")
