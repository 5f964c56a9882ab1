from django.core.management.base import BaseCommand

from assistant.evaluate import DEV, HELD_OUT, evaluate, load_examples


class Command(BaseCommand):
    help = (
        "Measure the assistant on the labelled messages in assistant/evaluation/messages.tsv: "
        "accuracy per intent, red-flag recall and false-alarm rate, on the held-out part "
        "(the matcher and the rules were not built from it) unless --split says otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--split", choices=[HELD_OUT, DEV, "all"], default=HELD_OUT)
        parser.add_argument(
            "--show-misses", action="store_true", help="List emergency messages not caught."
        )

    def handle(self, *args, split=HELD_OUT, show_misses=False, **options):
        examples = [e for e in load_examples() if split == "all" or e.split == split]
        report = evaluate(examples)
        out = self.stdout.write
        out(f"Split: {split}, {len(examples)} messages")
        out(f"{'intent':<22}{'correct':>8}{'total':>7}{'accuracy':>10}")
        for intent in sorted(report.total):
            right, total = report.correct[intent], report.total[intent]
            out(f"{intent:<22}{right:>8}{total:>7}{right / total:>10.1%}")
        out(f"Intent accuracy (non-emergency messages): {report.intent_accuracy:.1%}")
        out(
            f"Red-flag recall: {report.red_flag_recall:.1%} "
            f"({report.emergencies_caught} of {report.emergencies} emergencies)"
        )
        out(
            f"False-alarm rate: {report.false_alarm_rate:.1%} "
            f"({report.false_alarms} of {report.others} other messages called emergencies)"
        )
        if show_misses:
            for message in report.missed:
                out(f"  missed: {message}")
