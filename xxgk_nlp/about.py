__title__ = "xxgk-nlp"
__version__ = "0.1.0"
