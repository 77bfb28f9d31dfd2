"""Test support: the loopback fake Hilos API and data builders."""
