"""Generators: the seed paper's NetworkTrafficGAN and flowgan's conditional GAN."""
