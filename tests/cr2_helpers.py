"""An independent dense-matrix computation of CR2 (Bell & McCaffrey 2002) and its Bell–McCaffrey df."""

import numpy as np
from scipy import linalg


def cr2_dense(design, y, groups, c) -> tuple[float, float, float]:
    """(c'b, its CR2 standard error, its Bell–McCaffrey df) with the full n x n hat matrix."""
    X, y, g = np.asarray(design, float), np.asarray(y, float), np.asarray(groups)
    n = len(y)
    M = np.linalg.inv(X.T @ X)
    I_H = np.eye(n) - X @ M @ X.T
    e = I_H @ y
    meat = np.zeros((X.shape[1],) * 2)
    W = []
    for cluster in np.unique(g):
        idx = g == cluster
        A = linalg.inv(linalg.sqrtm(I_H[np.ix_(idx, idx)])).real
        s = X[idx].T @ A @ e[idx]
        meat += np.outer(s, s)
        E = np.zeros((n, idx.sum()))
        E[idx] = np.eye(idx.sum())
        W.append(I_H @ E @ A @ X[idx] @ M @ c)
    V = M @ meat @ M
    gram = np.column_stack(W).T @ np.column_stack(W)
    return float(c @ M @ X.T @ y), float(np.sqrt(c @ V @ c)), float(np.trace(gram) ** 2 / np.sum(gram**2))


def cr2_mean(values, groups) -> tuple[float, float, float]:
    """Mean of ``values`` with its CR2 standard error and df (a constant as the only regressor)."""
    x = np.asarray(values, float)
    return cr2_dense(np.ones((len(x), 1)), x, groups, np.array([1.0]))
