"""Arabic reports coded natively: rules over the words of ``arabic.yaml`` (see ``coder.py``)."""

from harbinger.extract.arabic.coder import ArabicCoder

__all__ = ["ArabicCoder"]
