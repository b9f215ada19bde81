from .verslag import StagemapExport, Verslag, VerslagComment, VerslagKind, VerslagReview

__all__ = ["StagemapExport", "Verslag", "VerslagComment", "VerslagKind", "VerslagReview"]
