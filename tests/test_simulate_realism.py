"""The simulated classes overlap like the real ones: a random forest is good but far from perfect."""

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import confusion_matrix, f1_score
from sklearn.model_selection import train_test_split

from flowgan.datasets import schema
from flowgan.datasets.simulate import simulate_hikari


@pytest.fixture(scope="module")
def forest_result():
    df = simulate_hikari(scale=0.03, seed=0)
    X = df[schema.HIKARI_SPEC.feature_columns(df.columns)]  # no index, uid, IP or port columns
    y = df[schema.CLASS_COLUMN].astype(str)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    predicted = RandomForestClassifier(n_estimators=100, random_state=0).fit(X_train, y_train).predict(X_test)
    labels = list(schema.CLASSES)
    per_class = pd.Series(f1_score(y_test, predicted, labels=labels, average=None), index=labels)
    confusion = pd.DataFrame(confusion_matrix(y_test, predicted, labels=labels), index=labels, columns=labels)
    return per_class, confusion


@pytest.mark.slow
def test_macro_f1_lands_in_the_published_band(forest_result):
    per_class, _ = forest_result
    assert 0.50 <= per_class.mean() <= 0.75, per_class


@pytest.mark.slow
def test_benign_and_background_are_the_main_confusion(forest_result):
    _, confusion = forest_result
    off_diagonal = confusion.to_numpy().copy()
    np.fill_diagonal(off_diagonal, 0)
    true_class, predicted_class = np.unravel_index(off_diagonal.argmax(), off_diagonal.shape)
    assert {confusion.index[true_class], confusion.columns[predicted_class]} == {"Benign", "Background"}


@pytest.mark.slow
def test_some_attack_class_is_hard(forest_result):
    per_class, _ = forest_result
    assert per_class[list(schema.ATTACK_CLASSES)].min() < 0.8
    assert per_class.min() > 0.2  # hard, not hopeless: balancing has something to work with
