"""kafka-tool: find where citizens fall between the cracks of bureaucracy.

The core: the case model, the loader, the analysis and interventions. It has
no user interface; ``tui`` and ``exports`` build on it.
"""

from .errors import CaseError, KafkaToolError, Problem
from .loader import load_case, load_case_text
from .model import Case

__all__ = ["Case", "CaseError", "KafkaToolError", "Problem", "load_case", "load_case_text"]
__version__ = "0.1.0"
