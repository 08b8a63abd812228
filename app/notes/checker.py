"""`flask notes check`: what each file yields, without a database."""

import click


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="JSON 목록으로 출력")
@click.option("--strict", is_flag=True, help="경고가 있어도 실패로 끝냄")
def check_command(paths, as_json, strict):
    """노트가 무엇을 담고 있는지 데이터베이스 없이 보여 줍니다."""
    raise NotImplementedError
