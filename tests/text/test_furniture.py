"""Page-furniture steps: a table of cases per step and hypothesis properties for all."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stance.text import furniture as F

from .pages import step_tests

CASES = {
    F.drop_photo_credits: [
        ("Binh sĩ Mỹ tại Iraq. Ảnh: AP", "Binh sĩ Mỹ tại Iraq."),
        ("Ý kiến. Nguồn ảnh: Militarytimes.", "Ý kiến."),
        ("Ảnh: Reuters\nNội dung.", "Nội dung."),
        ("Ảnh hưởng: rất lớn.", "Ảnh hưởng: rất lớn."),
        ("Ông nói: chúng tôi rút quân.", "Ông nói: chúng tôi rút quân."),
    ],
    F.drop_furniture_lines: [
        ("Tin.\nĐường dây nóng: 0943 113 999", "Tin."),
        ("Tin.\nHotline: (024) 3123 4567", "Tin."),
        ("Tin.\nBáo lỗi cho Soha", "Tin."),
        ("*Vui lòng nhập đủ thông tin email hoặc số điện thoại\nTin.", "Tin."),
        ("An Bình |\nTin.", "Tin."),
        ("Chờ...\nTin.", "Tin."),
        ("Tin.\nNguồn: [Link nguồn]", "Tin."),
        (
            "Bộ Y tế mở đường dây nóng để người dân phản ánh về chất lượng khám chữa bệnh tại các bệnh viện.",
            "Bộ Y tế mở đường dây nóng để người dân phản ánh về chất lượng khám chữa bệnh tại các bệnh viện.",
        ),
    ],
    F.drop_datelines: [
        ("Thành lập dự án (NLĐ)- Quỹ hỗ trợ vừa thành lập.", "Thành lập dự án Quỹ hỗ trợ vừa thành lập."),
        ("(VOH) – Bộ trưởng nói.", "Bộ trưởng nói."),
        ("(Kiến Thức) - Chính phủ Iraq.", "Chính phủ Iraq."),
        ("(A) - (B) - Tin.", "Tin."),
        ("Hà Nội (TTXVN) - Sáng nay.", "Hà Nội Sáng nay."),
        ("Nhà nước Hồi giáo (IS) – nhóm cực đoan.", "Nhà nước Hồi giáo (IS) – nhóm cực đoan."),
        ("Ông A (56 tuổi) - người dân.", "Ông A (56 tuổi) - người dân."),
        ("Tin.\n(NLĐ)-", "Tin."),
        # A dateline ending at the 300th character takes its white space along (no double space), and the
        # one it brings into the window goes too: "(" * 4 + 175 + 50 + 66 characters put "(AB)-" at 295-299.
        ("(" * 4 + "Quân Mỹ" * 25 + ". " * 25 + "(IS)- " * 11 + "(AB)- " * 2,
         "(" * 4 + "Quân Mỹ" * 25 + ". " * 25 + "(IS)- " * 10 + "(IS)-"),
    ],
    F.drop_repeated_lines: [
        ("A\nA\nB", "A\nB"),
        ("A\nB\nA\nB", "A\nB"),
        ("A", "A"),
    ],
    F.drop_trailing_blocks: [
        ("Tin chính.\nÝ kiến.\nGALLERY MỚI NHẤT\nLàng hương ngày Tết", "Tin chính.\nÝ kiến."),
        ("Tin chính.\nTin liên quan:\nBài khác", "Tin chính."),
        ("Tin chính.\nXem thêm\nBài khác", "Tin chính."),
        ("Tin liên quan\nbài đầu tiên vẫn giữ", "Tin liên quan\nbài đầu tiên vẫn giữ"),
        ("Tin chính.\nCác tin liên quan đến vụ việc đang được cảnh sát xác minh.", "Tin chính.\nCác tin liên quan đến vụ việc đang được cảnh sát xác minh."),
    ],
    F.drop_trailing_signatures: [
        ("Quân Mỹ rút khỏi Iraq.\nThanh Hà\nSoha", "Quân Mỹ rút khỏi Iraq."),
        ("Quân Mỹ rút khỏi Iraq.\nÔng nói: có.", "Quân Mỹ rút khỏi Iraq.\nÔng nói: có."),
        ("Tiêu đề", "Tiêu đề"),
    ],
}


test_step_table, test_step_properties = step_tests(CASES)


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(["(", ")", "(AB)", "(Kiến Thức)", " ", "\u3000", "-", "–", "—", "x", "1", "_", "\n",
                                      "a" * 19, "a" * 20]), max_size=25).map("".join))
def test_opening_scanner_is_the_opening_pattern(text):
    # The hand-written scanner replaces the pattern so that the line need not be copied; they must agree.
    m = F._DATELINE_OPENING.match(text)
    assert F._openings_end(text, 0, len(text))[0] == (m.end() if m else 0)


def test_a_dateline_after_an_exception_leaves_one_space():
    assert F.drop_datelines("Nhóm (IS)- (AB)- tấn công.") == "Nhóm (IS)- tấn công."
