from django.core.management.base import BaseCommand

from guidance.services import guidance_train


class Command(BaseCommand):
    help = ("Train the guidance classifier on the corpus (backend/guidance/corpus/train) and the "
            "tickets staff confirmed, and store it as the model in force.")

    def add_arguments(self, parser):
        parser.add_argument("--corpus-only", action="store_true",
                            help="leave the confirmed tickets out")
        parser.add_argument("--if-changed", action="store_true",
                            help="do nothing when neither the corpus nor the confirmed tickets changed")

    def handle(self, *args, corpus_only=False, if_changed=False, **options):
        row = guidance_train(with_tickets=not corpus_only, only_if_changed=if_changed)
        if row is None:
            self.stdout.write("guidance: nothing changed since the stored model; not retrained")
            return
        self.stdout.write(
            f"guidance: model #{row.pk} trained on {row.corpus_examples} corpus and "
            f"{row.ticket_examples} ticket requests, {len(row.categories)} categories, "
            f"in {row.trained_seconds:.2f} s"
        )
